/**
 * Certificate verification codes (pure, no I/O; safe for the UI bundle).
 *
 * A code is 15 random symbols plus one check symbol, shown as XXXX-XXXX-XXXX-XXXX. Symbols come
 * from Crockford's base 32 without Z (31 symbols, a prime): about 74 random bits, so codes cannot
 * be guessed. The check symbol is Σ (i+1)·value(i) mod 31, which catches EVERY single changed
 * symbol and EVERY swap of two neighbours, so most mistyped or altered codes are refused before
 * the database is asked. Reading is forgiving: case, spaces and dashes are ignored, I/L read
 * as 1 and O as 0.
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY";
const MOD = ALPHABET.length; // 31

function checkSymbol(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) sum += (i + 1) * ALPHABET.indexOf(body[i]!);
  return ALPHABET[sum % MOD]!;
}

const cryptoRandom = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export function newCertificateCode(random: (n: number) => Uint8Array = cryptoRandom): string {
  let body = "";
  // Rejection sampling keeps every symbol equally likely (248 = 8 × 31).
  while (body.length < 15) {
    for (const b of random(15 - body.length)) if (b < 248 && body.length < 15) body += ALPHABET[b % MOD];
  }
  return formatCode(body + checkSymbol(body));
}

function formatCode(raw: string): string {
  return raw.match(/.{1,4}/g)!.join("-");
}

/** The canonical form of a typed code, or null when it is not a well-formed code. */
export function normaliseCertificateCode(input: string): string | null {
  if (typeof input !== "string" || input.length > 40) return null;
  const raw = input.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  if (!/^[0-9A-HJKMNP-TV-Y]{16}$/.test(raw)) return null;
  if (checkSymbol(raw.slice(0, 15)) !== raw[15]) return null;
  return formatCode(raw);
}

/** "1.75" → "1.75", 2 → "2" — hours as shown on a certificate. */
export function formatHours(hours: number): string {
  return String(Math.round(hours * 100) / 100);
}
