/**
 * A closed set of values declared once, by their Chinese names (`{ value: '名称', … }`): the
 * values are the keys, in the order they are declared.
 */
export function valuesOf<const N extends Record<string, string>>(
  names: N,
): readonly [keyof N & string, ...(keyof N & string)[]] {
  const values = Object.keys(names) as Array<keyof N & string>;
  if (values.length === 0) throw new Error('a closed set needs at least one value');
  return values as [keyof N & string, ...(keyof N & string)[]];
}
