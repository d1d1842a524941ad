/**
 * Secret values in the provider protocol. The plugin tells the engine it accepts secrets, so a
 * secret input arrives wrapped (`{"4dabf18193072939515e22adb298388d": "1b47...", value}`), anywhere in
 * a property's value. The lifecycle works on plain values, so the adapter unwraps them and then
 * wraps again, per top-level property, every input or output whose input was secret: a secret `name`
 * stays secret in the checked inputs, in the outputs and in state.
 */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Props = Record<string, unknown>;

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The value with every secret wrapper removed, and whether it held one. */
export function reveal(value: unknown): { plain: unknown; secret: boolean } {
  if (isSecret(value)) return { plain: reveal(value.value).plain, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(reveal);
    return { plain: items.map((item) => item.plain), secret: items.some((item) => item.secret) };
  }
  if (typeof value === "object" && value !== null) {
    let secret = false;
    const plain: Props = {};
    for (const [key, member] of Object.entries(value)) {
      const revealed = reveal(member);
      plain[key] = revealed.plain;
      secret ||= revealed.secret;
    }
    return { plain, secret };
  }
  return { plain: value, secret: false };
}

/** Properties without secret wrappers, and the names of those that held a secret. */
export function revealProperties(props: Props): { plain: Props; secretKeys: Set<string> } {
  const plain: Props = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(props)) {
    const revealed = reveal(value);
    plain[key] = revealed.plain;
    if (revealed.secret) secretKeys.add(key);
  }
  return { plain, secretKeys };
}

export function secret(value: unknown): Props {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** The properties with each one named in `secretKeys` wrapped as a secret. */
export function concealProperties(props: Props, secretKeys: ReadonlySet<string>): Props {
  const out: Props = {};
  for (const [key, value] of Object.entries(props)) out[key] = secretKeys.has(key) && value !== undefined ? secret(value) : value;
  return out;
}
