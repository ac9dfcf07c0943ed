/** lower-case, ё → е: the same folding the database applies to names and queries */
export function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}
