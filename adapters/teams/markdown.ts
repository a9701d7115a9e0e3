// Plain text → Teams' Adaptive Card markdown. TextBlocks and FactSets render a markdown subset
// (bold, italic, links, bulleted and numbered lists), so text that comes from data (names, team
// labels, anything a CSV import carried) must not be able to turn into a link or bold "CEO".

/**
 * The text as Teams markdown that renders as exactly this text: `\ [ ] ( ) * _ ~` escaped
 * everywhere; headings, quotes and list markers (`#`, `>`, `-`, `+`, `1.`) at the start of a line.
 *
 * @example
 * markdownText("[Click me](https://evil.example/x) **CEO**")
 * // => "\\[Click me\\]\\(https://evil.example/x\\) \\*\\*CEO\\*\\*"
 * markdownText("- 1. not a list") // => "\\- 1. not a list"
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\\[\]()*_~`]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+>#])/gm, "$1\\$2")
    .replace(/^(\s*\d+)\./gm, "$1\\.");
}
