/**
 * Text → YAML Documents, with the bounds the yaml package lacks. Its parser slows down
 * quadratically with flow nesting (`[[[[…` takes a minute at 2 MB) and its `uniqueKeys` check is
 * quadratic in the keys of a mapping, so flow depth is counted on the lexer's tokens before they
 * reach the parser, and duplicate keys are found with one hash set per mapping afterwards.
 */
import {
  Composer,
  type Document,
  isMap,
  isScalar,
  Lexer,
  type LineCounter,
  Parser,
  visit,
  YAMLParseError,
} from 'yaml';

export interface YamlStream {
  documents: Document.Parsed[];
  /** Errors outside any document (e.g. a stray `...`), only reported when there is no document. */
  streamErrors: { offset: number; message: string }[];
}

export type ReadResult = YamlStream | { tooDeepAt: number };

const COMPOSE_OPTIONS = {
  // YAML 1.2 core schema, as the yaml package defaults to; merge keys kept because hand-written
  // manifests use them and Kubernetes' own YAML reader accepts them.
  merge: true,
  uniqueKeys: false,
  stringKeys: true,
  prettyErrors: false,
} as const;

export function readYamlStream(text: string, lineCounter: LineCounter, maxDepth: number): ReadResult {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens = [];
  let flowDepth = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (lexeme === '[' || lexeme === '{') flowDepth++;
    else if (lexeme === ']' || lexeme === '}') flowDepth--;
    if (flowDepth > maxDepth) return { tooDeepAt: parser.offset };
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);

  const composer = new Composer(COMPOSE_OPTIONS);
  const documents = Array.from(composer.compose(tokens)) as Document.Parsed[];
  for (const doc of documents) if (doc.errors.length === 0) findDuplicateKeys(doc);
  const streamErrors =
    documents.length > 0
      ? []
      : [...composer.streamInfo().errors, ...composer.streamInfo().warnings].map((error) => ({
          offset: error.pos[0],
          message: error.message,
        }));
  return { documents, streamErrors };
}

/** Adds a DUPLICATE_KEY error for each repeated key, in time linear in the number of keys. */
function findDuplicateKeys(doc: Document.Parsed): void {
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || pair.key.value === '<<') continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          const offset = pair.key.range?.[0] ?? 0;
          doc.errors.push(
            new YAMLParseError([offset, offset + 1], 'DUPLICATE_KEY', 'Map keys must be unique'),
          );
        }
        seen.add(key);
      }
    },
  });
}
