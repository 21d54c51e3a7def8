/**
 * Compile-time checks: `Holds<Same<A, B>>` fails type-checking unless A and B are the same type
 * (types only: nothing here exists at runtime).
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Holds<T extends true> = T;
