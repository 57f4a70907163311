import fs from 'node:fs';
import type { Config } from '../../config.js';
import { loadSigningKey } from '../../crypto/keys.js';
import { readPublicKeyPem, readSignedPdf, verifyText, type PublicKey } from '../../modules/titles/sign.js';
import type { AdminCommand } from './command.js';

/**
 * verify-certificate <file.pdf> [--public-key <file.pem>]: checks a certificate PDF offline. The PDF
 * carries the certificate's data (canonical JSON) and its signature in its document information;
 * the public key is the platform's own (SIGNING_KEY, or DATA_DIR/keys.json) unless a PEM file is
 * given, e.g. one saved from GET /api/public/signing-key. Prints 有效签名 or 签名无效 with the data:
 * exit 0 when the signature is valid, 1 when it is not (or the file carries none), 2 on bad usage.
 */
const USAGE = '用法 usage: npm run admin -- verify-certificate <证书.pdf> [--public-key <公钥.pem>]\n';

const LABELS: Record<string, string> = {
  certificateNo: '证书编号 Certificate No.',
  holder: '命名对象 Holder',
  title: '称号 Title',
  year: '年度 Year',
  stars: '星级 Stars',
  level: '等级 Level',
  issuer: '命名单位 Issuer',
  conferredOn: '命名日期 Conferred on',
  namingDocument: '命名文件 Naming document',
  v: '格式版本 Format',
};

export const verifyCertificateCommand: AdminCommand = {
  summary: '离线校验证书签名 Verify a certificate PDF’s signature offline',
  async run(args: string[], config: Config): Promise<number> {
    let file: string | null = null;
    let keyFile: string | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--public-key') {
        keyFile = args[++i] ?? null;
        if (!keyFile) {
          process.stderr.write(USAGE);
          return 2;
        }
      } else if (a.startsWith('--public-key=')) keyFile = a.slice('--public-key='.length);
      else if (!file && !a.startsWith('--')) file = a;
      else {
        process.stderr.write(USAGE);
        return 2;
      }
    }
    if (!file) {
      process.stderr.write(USAGE);
      return 2;
    }
    if (!fs.existsSync(file)) {
      process.stderr.write(`找不到文件 no such file: ${file}\n`);
      return 2;
    }

    let key: PublicKey;
    try {
      if (keyFile) key = readPublicKeyPem(fs.readFileSync(keyFile, 'utf8'));
      else {
        const own = loadSigningKey(config, { create: false });
        if (!own) {
          process.stdout.write('签名无效 invalid: 本机没有签名密钥，请用 --public-key 指定公钥 (no signing key here: pass --public-key)\n');
          return 1;
        }
        key = readPublicKeyPem(own.publicKeyPem);
      }
    } catch (e) {
      process.stderr.write(`公钥无效 bad public key: ${(e as Error).message}\n`);
      return 2;
    }

    const signed = readSignedPdf(fs.readFileSync(file));
    if (!signed) {
      process.stdout.write('签名无效 invalid: 文件中没有证书签名数据 (the file carries no certificate signature)\n');
      return 1;
    }
    const ok = verifyText(key, signed.signatureAlg, signed.signedData, signed.signature);
    process.stdout.write(ok ? '有效签名 valid signature\n' : '签名无效 INVALID signature\n');
    process.stdout.write(`算法 Algorithm: ${signed.signatureAlg}${signed.signatureAlg !== key.alg ? ` (公钥为 key is ${key.alg})` : ''}\n`);
    let data: Record<string, unknown> | null = null;
    try {
      data = JSON.parse(signed.signedData) as Record<string, unknown>;
    } catch {
      /* shown raw below */
    }
    if (data && typeof data === 'object')
      for (const [k, v] of Object.entries(data)) process.stdout.write(`  ${LABELS[k] ?? k}: ${v === null ? '—' : String(v)}\n`);
    else process.stdout.write(`  ${signed.signedData}\n`);
    if (!ok)
      process.stdout.write(
        '证书数据与签名不符，或不是本平台签发的证书 (the data does not match its signature, or another key signed it)\n',
      );
    return ok ? 0 : 1;
  },
};

export default verifyCertificateCommand;
