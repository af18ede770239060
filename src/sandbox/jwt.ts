import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Access tokens the sandbox's Entra endpoint issues: ES256 JWTs signed with a key kept in the
 * state folder, so tokens survive a restart like real ones survive a service deploy.
 */
export interface TokenSigner {
  readonly kid: string;
  readonly jwk: Record<string, unknown>;
  issue(claims: Record<string, unknown>): string;
  /** Claims when the signature is valid and the token is not expired; undefined otherwise. */
  verify(token: string, nowMs: number): Record<string, unknown> | undefined;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

export function loadSigner(dir: string): TokenSigner {
  const path = join(dir, "token-signing-key.pem");
  let privateKey: KeyObject;
  if (existsSync(path)) {
    privateKey = createPrivateKey(readFileSync(path, "utf8"));
  } else {
    privateKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  }
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  const kid = b64url(String(jwk["x"] ?? "")).slice(0, 16);
  return {
    kid,
    jwk: { ...jwk, kid, use: "sig", alg: "ES256" },
    issue(claims) {
      const header = b64url(JSON.stringify({ typ: "JWT", alg: "ES256", kid }));
      const payload = b64url(JSON.stringify(claims));
      const sig = sign("sha256", Buffer.from(`${header}.${payload}`), {
        key: privateKey,
        dsaEncoding: "ieee-p1363",
      });
      return `${header}.${payload}.${b64url(sig)}`;
    },
    verify(token, nowMs) {
      const parts = token.split(".");
      if (parts.length !== 3) return undefined;
      const [h, p, s] = parts as [string, string, string];
      const ok = verify(
        "sha256",
        Buffer.from(`${h}.${p}`),
        { key: publicKey, dsaEncoding: "ieee-p1363" },
        Buffer.from(s, "base64url"),
      );
      if (!ok) return undefined;
      try {
        const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
        if (typeof claims["exp"] === "number" && claims["exp"] * 1000 < nowMs) return undefined;
        return claims;
      } catch {
        return undefined;
      }
    },
  };
}
