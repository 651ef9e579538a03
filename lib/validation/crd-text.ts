/**
 * Flagger's published CRD continues multi-line single-quoted descriptions at the indentation of
 * their key, which PyYAML and Go's YAML accept but the JavaScript YAML parsers refuse or misread.
 * Indenting those continuation lines two more spaces changes nothing about the values (folded
 * line breaks become spaces either way) and makes the file readable here.
 */
export function repairQuotedContinuations(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)[\w.-]+: '(.*)$/.exec(lines[i]);
    if (!m || closesQuote(m[2])) continue;
    const indent = m[1].length;
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].length - lines[j].trimStart().length <= indent) lines[j] = `${m[1]}  ${lines[j].trimStart()}`;
      if (closesQuote(lines[j])) {
        i = j;
        break;
      }
    }
  }
  return lines.join('\n');
}

/** True when a single-quoted scalar's text (after the opening quote) contains its closing quote. */
function closesQuote(rest: string): boolean {
  return /(^|[^'])'(?!')\s*$/.test(rest.replace(/''/g, ''));
}
