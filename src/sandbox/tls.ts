import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { webcrypto } from "node:crypto";
import "./reflect-shim.js";
import * as x509 from "@peculiar/x509";

/**
 * The sandbox's own certificate authority. Azure's bearer-token policy refuses plain http, so
 * every listener is HTTPS with a leaf signed by this CA; clients trust it through client options
 * (tlsOptions.ca / cert.caFile), never through a process-wide variable. The CA and its key are
 * kept in the state folder so a restarted sandbox serves certificates the same CA file vouches for.
 */
export interface SandboxTls {
  readonly caPem: string;
  readonly caFile: string;
  /** Leaf for 127.0.0.1 / localhost, PEM. */
  readonly certPem: string;
  readonly keyPem: string;
}

type KeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function fromPem(pem: string): ArrayBuffer {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  const buf = Buffer.from(b64, "base64");
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

function serial(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16)))
    .toString("hex")
    .replace(/^[89a-f]/, "1");
}

async function loadOrCreateCa(
  dir: string,
): Promise<{ cert: x509.X509Certificate; keys: KeyPair; pem: string }> {
  const certPath = join(dir, "ca.pem");
  const keyPath = join(dir, "ca-key.pem");
  if (existsSync(certPath) && existsSync(keyPath)) {
    const pem = readFileSync(certPath, "utf8");
    const cert = new x509.X509Certificate(pem);
    const privateKey = await crypto.subtle.importKey(
      "pkcs8",
      fromPem(readFileSync(keyPath, "utf8")),
      alg,
      true,
      ["sign"],
    );
    const publicKey = await cert.publicKey.export(alg, ["verify"], crypto);
    return { cert, keys: { privateKey, publicKey }, pem };
  }
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as KeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=aks-bootstrap sandbox CA",
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 5 * 365 * 86400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pem = cert.toString("pem") + "\n";
  // Key first, then cert: a process killed in between leaves no cert without its key.
  writeFileSync(keyPath, toPem(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY"), {
    mode: 0o600,
  });
  writeFileSync(certPath, pem);
  return { cert, keys, pem };
}

/** Loads (or creates) the CA in `dir` and issues a fresh loopback leaf certificate. */
export async function prepareTls(dir: string): Promise<SandboxTls> {
  const ca = await loadOrCreateCa(dir);
  const leafKeys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as KeyPair;
  const now = new Date();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=127.0.0.1",
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 365 * 86400_000),
    signingAlgorithm: alg,
    publicKey: leafKeys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "dns", value: "localhost" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
    ],
  });
  return {
    caPem: ca.pem,
    caFile: join(dir, "ca.pem"),
    certPem: leaf.toString("pem") + "\n",
    keyPem: toPem(await crypto.subtle.exportKey("pkcs8", leafKeys.privateKey), "PRIVATE KEY"),
  };
}
