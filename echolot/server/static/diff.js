// Word-level diff of two sentences (longest common subsequence over word and punctuation tokens).

const TOKEN = /[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]+|\s+/gu;
const isSpace = (t) => /^\s+$/u.test(t);

/** Tokens of `text`: words, punctuation runs and whitespace runs, in order. */
export const tokens = (text) => String(text ?? "").match(TOKEN) ?? [];

/**
 * Diff `a` against `b`: returns [{text, op}] for each side, op "same" | "del" (only in a) | "ins" (only in b).
 * Whitespace is carried along with the token before it and never counts as a difference.
 * Sentences are short, so the quadratic table is cheap; very long inputs fall back to "no diff".
 */
export function wordDiff(a, b) {
  const ta = tokens(a), tb = tokens(b);
  const wa = ta.filter((t) => !isSpace(t)), wb = tb.filter((t) => !isSpace(t));
  if (wa.length * wb.length > 250000) {
    return {left: ta.map((text) => ({text, op: "same"})), right: tb.map((text) => ({text, op: "same"}))};
  }
  const n = wa.length, m = wb.length;
  const dp = Array.from({length: n + 1}, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i][j] = wa[i].toLowerCase() === wb[j].toLowerCase() ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  const keepA = new Array(n).fill(false), keepB = new Array(m).fill(false);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (wa[i].toLowerCase() === wb[j].toLowerCase()) {
      keepA[i++] = true;
      keepB[j++] = true;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  const mark = (toks, keep, miss) => {
    let w = 0;
    return toks.map((text) => (isSpace(text) ? {text, op: "same"} : {text, op: keep[w++] ? "same" : miss}));
  };
  return {left: mark(ta, keepA, "del"), right: mark(tb, keepB, "ins")};
}

/** HTML for one side of a diff: changed runs wrapped in <del>/<ins>; every token escaped by `esc`. */
export function diffHtml(parts, esc) {
  let out = "", open = null;
  parts.forEach(({text, op}, k) => {
    // whitespace stays inside a changed run only when the run goes on after it
    const want = isSpace(text) ? (open && parts[k + 1]?.op === open ? open : null) : (op === "same" ? null : op);
    if (want !== open) {
      if (open) out += `</${open}>`;
      if (want) out += `<${want}>`;
      open = want;
    }
    out += esc(text);
  });
  return open ? out + `</${open}>` : out;
}
