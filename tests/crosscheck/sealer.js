// Independent SealedSecrets implementation (@socialgouv/aes-gcm-rsa-oaep) driven from the tests.
// Reads one JSON request on stdin, prints the answer on stdout.
//   {"op": "seal", "cert": PEM, "scope": "strict"|"namespace"|"cluster", "namespace": ..., "name": ..., "value": ...}
//   {"op": "unseal", "key": PKCS8 PEM, "label": ..., "ciphertext": base64}
const { encryptValue, HybridDecrypt } = require("@socialgouv/aes-gcm-rsa-oaep");
const { webcrypto } = require("crypto");

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  if (req.op === "seal") {
    const out = await encryptValue({
      pemKey: req.cert, scope: req.scope, namespace: req.namespace, name: req.name, value: req.value,
    });
    process.stdout.write(out);
  } else if (req.op === "unseal") {
    const der = Buffer.from(req.key.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
    const key = await webcrypto.subtle.importKey("pkcs8", der, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["decrypt"]);
    const plain = await HybridDecrypt(key, Buffer.from(req.ciphertext, "base64"), Buffer.from(req.label, "utf8"));
    process.stdout.write(plain);
  } else {
    throw new Error(`unknown op ${req.op}`);
  }
}

main().catch((err) => { process.stderr.write(String(err && err.stack || err) + "\n"); process.exit(1); });
