// A fake of Bot Framework's token-key service (OpenID metadata + JWKS) on loopback, and tokens
// signed the way Bot Framework signs them, so tests run the real CloudAdapter authentication in
// Azure mode: valid tokens pass, forged ones are refused by the same code production runs.
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { MicrosoftAppCredentials, ServiceClientCredentialsFactory, type ServiceClientCredentials } from "botframework-connector";

export const APP_ID = "00000000-0000-4000-8000-000000000abc";
export const ISSUER = "https://api.botframework.com";
export const KID = "test-key-1";

export type TokenService = {
  /** The OpenID metadata URL (what AuthOverrides.openIdMetadataUrl takes). */
  metadataUrl: string;
  publicKey: KeyObject;
  /** The public key as PEM text (what an HS256 forgery signs with). */
  publicPem: string;
  /** A valid channel token for an activity posted with this serviceUrl. */
  token(serviceUrl: string, claims?: Record<string, unknown>): string;
  /** Sign any header and payload with the service's private key (RS256). */
  sign(header: object, payload: object): string;
  close(): Promise<void>;
};

const b64 = (o: object | string) => Buffer.from(typeof o === "string" ? o : JSON.stringify(o)).toString("base64url");

export async function startTokenService(): Promise<TokenService> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === "/v1/.well-known/openidconfiguration") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ["RS256"] }));
    } else if (req.url === "/v1/.well-known/keys") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [{ kty: "RSA", use: "sig", kid: KID, n: jwk.n, e: jwk.e, endorsements: ["msteams"] }] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (header: object, payload: object) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url")}`;
  };
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    publicKey,
    publicPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    sign,
    token(serviceUrl, claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      return sign({ alg: "RS256", typ: "JWT", kid: KID }, { iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600, ...claims });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Outbound calls to the fake connector without Azure AD (unreachable offline): no token. */
export class TestCredentialsFactory extends ServiceClientCredentialsFactory {
  override async isValidAppId(appId: string): Promise<boolean> {
    return appId === APP_ID;
  }
  override async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  override async createCredentials(): Promise<ServiceClientCredentials> {
    return MicrosoftAppCredentials.Empty;
  }
}

/** Azure-mode Teams settings for tests: the fake connector's host is trusted explicitly. */
export function azureEnv(connectorUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: "test-password",
    PUBLIC_URL: "https://kpi.example.test",
    KPI_TEAMS_EXTRA_SERVICE_HOSTS: new URL(connectorUrl).host,
    ...extra,
  };
}
