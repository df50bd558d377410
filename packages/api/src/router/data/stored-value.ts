/**
 * How a key-value `value` is stored, the same on every database. the contract's value is any string of at most 64 KiB, but
 * PostgreSQL text cannot hold U+0000, and a lone surrogate (which JSON can carry) does not survive UTF-8 on either
 * database. Such a value is stored as its JSON string literal (JSON.stringify escapes both), with `value_encoded` set;
 * every other value is stored as it is, which is how every row written before this existed reads back unchanged.
 * A flag column rather than a marker inside the text: any text may already be stored, so no in-band marker is free.
 */

export interface StoredValue {
  value: string;
  value_encoded: boolean;
}

/** Text that both databases store and give back unchanged: no NUL, and no lone surrogate (\p{Cs} with the u flag). */
const storableAsIs = (value: string) => !value.includes("\u0000") && !/\p{Cs}/u.test(value);

export const toStored = (value: string): StoredValue =>
  storableAsIs(value) ? { value, value_encoded: false } : { value: JSON.stringify(value), value_encoded: true };

export const fromStored = (stored: StoredValue): string => (stored.value_encoded ? (JSON.parse(stored.value) as string) : stored.value);
