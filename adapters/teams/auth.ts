// Bot Framework authentication from our config, with our retry policy on every connector client
// it creates: the turn's (replies, member lookups) via authenticateRequest, and proactive ones
// (continueConversation, createConversation) via createConnectorFactory.
//
// A request whose token does not verify is refused with a bare 401, whatever the reason
// (alg:none, HS256 with the public key, a bad signature, missing claims): botbuilder lets the
// token library's own errors through as a 500 carrying their text.
import { ConfigurationBotFrameworkAuthentication, type Activity } from "botbuilder";
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult, type ClaimsIdentity, type ConnectorFactory, type ServiceClientCredentialsFactory } from "botframework-connector";
import { botFrameworkAuthConfig, type TeamsConfig } from "./config.ts";
import { installRetryPolicy, retryPolicy, type RetryEvent, type RetryOptions } from "./retry.ts";

/**
 * Code-only seams for tests (never read from the environment): where inbound tokens' signing
 * keys come from (a fake OpenID endpoint on loopback) and the outbound credentials (no Azure AD
 * token service offline).
 */
export type AuthOverrides = {
  openIdMetadataUrl?: string | undefined;
  credentialsFactory?: ServiceClientCredentialsFactory | undefined;
};

export type AuthHooks = {
  onRetry?: ((e: RetryEvent) => void) | undefined;
  /** A refused token: why, in a few words (never the token). */
  onRefused?: ((e: { reason: string; outage: boolean }) => void) | undefined;
};

/** Bot Framework's public-cloud settings with the token keys fetched from `openIdMetadataUrl`. */
function keysFrom(openIdMetadataUrl: string): Record<string, string> {
  return {
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
    CallerId: "urn:botframework:azure",
  };
}

/**
 * Whether a failed authentication is an outage (the signing keys could not be fetched) rather
 * than a bad token. Everything not recognisably an outage is a refusal: fail closed.
 */
export function isKeyOutage(e: unknown): boolean {
  const err = e as { name?: unknown; statusCode?: unknown; code?: unknown; type?: unknown } | null;
  if (!err || typeof err !== "object") return false;
  if (err.name === "FetchError" || err.type === "system") return true;
  if (e instanceof AuthenticationError) return typeof err.statusCode === "number" && err.statusCode >= 500;
  return typeof err.code === "string" && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)$/.test(err.code);
}

export class RetryingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly policy: ReturnType<typeof retryPolicy>;

  constructor(config: TeamsConfig, retry: RetryOptions, private readonly hooks: AuthHooks = {}, overrides: AuthOverrides = {}) {
    super(
      { ...botFrameworkAuthConfig(config), ...(config.mode === "azure" && overrides.openIdMetadataUrl ? keysFrom(overrides.openIdMetadataUrl) : {}) },
      config.mode === "azure" ? overrides.credentialsFactory : undefined,
    );
    this.policy = retryPolicy(retry, hooks.onRetry);
  }

  private withRetries(inner: ConnectorFactory): ConnectorFactory {
    const policy = this.policy;
    return {
      async create(serviceUrl: string, audience?: string) {
        return installRetryPolicy(await inner.create(serviceUrl, audience), policy);
      },
    };
  }

  /** The same bare refusal for every bad token; a key outage stays an internal error (Teams retries). */
  private refusal(e: unknown): Error {
    const outage = isKeyOutage(e);
    const reason = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 120);
    this.hooks.onRefused?.({ reason, outage });
    return outage ? new Error("token signing keys unavailable") : new AuthenticationError("Unauthorized", 401);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (e) {
      throw this.refusal(e);
    }
    if (result.connectorFactory) result.connectorFactory = this.withRetries(result.connectorFactory);
    return result;
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (e) {
      throw this.refusal(e);
    }
    if (result.connectorFactory) result.connectorFactory = this.withRetries(result.connectorFactory);
    return result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.withRetries(super.createConnectorFactory(claimsIdentity));
  }
}
