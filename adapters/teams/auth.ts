// Bot Framework authentication from our config, with our retry policy on every connector client
// it creates: the turn's (replies, member lookups) via authenticateRequest, and proactive ones
// (continueConversation, createConversation) via createConnectorFactory.
import { ConfigurationBotFrameworkAuthentication, type Activity } from "botbuilder";
import type { AuthenticateRequestResult, ClaimsIdentity, ConnectorFactory } from "botframework-connector";
import { botFrameworkAuthConfig, type TeamsConfig } from "./config.ts";
import { installRetryPolicy, retryPolicy, type RetryEvent, type RetryOptions } from "./retry.ts";

export class RetryingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly policy: ReturnType<typeof retryPolicy>;

  constructor(config: TeamsConfig, retry: RetryOptions, onRetry?: (e: RetryEvent) => void) {
    super(botFrameworkAuthConfig(config));
    this.policy = retryPolicy(retry, onRetry);
  }

  private withRetries(inner: ConnectorFactory): ConnectorFactory {
    const policy = this.policy;
    return {
      async create(serviceUrl: string, audience?: string) {
        return installRetryPolicy(await inner.create(serviceUrl, audience), policy);
      },
    };
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    if (result.connectorFactory) result.connectorFactory = this.withRetries(result.connectorFactory);
    return result;
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    if (result.connectorFactory) result.connectorFactory = this.withRetries(result.connectorFactory);
    return result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.withRetries(super.createConnectorFactory(claimsIdentity));
  }
}
