// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
export const palette = {
  blue: "#0072B2",
  vermillion: "#D55E00",
  bluishGreen: "#009E73",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  reddishPurple: "#CC79A7",
  black: "#000000",
  ink: "#222222",
  muted: "#555555",
  grid: "#E6E6E6",
  background: "#FFFFFF",
} as const;

/** Bars: normal, flagged low (warning), flagged top. */
export const barColour = { normal: palette.blue, low: palette.vermillion, top: palette.bluishGreen } as const;

/** The forecast band: orange at a quarter opacity over white. */
export const bandFill = "rgba(230, 159, 0, 0.25)";
