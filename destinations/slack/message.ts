/**
 * The Slack message for one row: the connection's handlebars `template` rendered with the row's
 * mapped fields (the sync mappings' helpers are available: `{{round lifetime_value 2}}`), or,
 * without a template, the row's mapped `text` field as is. A mapped `blocks` field (a JSON array
 * of Block Kit blocks) is sent beside the text, which then serves as the notification fallback.
 */
import Handlebars from 'handlebars';
import { mappingHelpers } from '../../src/destination-kit/index.js';

/** The JSON body of an incoming-webhook request. */
export interface SlackMessage {
  text: string;
  blocks?: unknown[];
}

/** An isolated handlebars environment with the mapping helpers (and handlebars' own blocks). */
const env = Handlebars.create();
for (const [name, helper] of Object.entries(mappingHelpers)) {
  // Handlebars appends an `options` object to the arguments: drop it.
  env.registerHelper(name, (...args: unknown[]) => helper(...args.slice(0, -1)));
}

/** Problems with the template itself (syntax), or undefined when it parses. */
export function templateProblem(template: string): string | undefined {
  try {
    Handlebars.parse(template);
    return undefined;
  } catch (error) {
    return `invalid template: ${(error as Error).message.split('\n')[0]}`;
  }
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/**
 * Slack reads `&`, `<` and `>` as control characters in message text (`<url|label>` links,
 * `<@U123>` mentions): values from rows are escaped so a name like `<!channel>` cannot ping a
 * channel. The template's own text is not escaped, so it can hold links and mentions.
 */
function escapeValue(value: unknown): unknown {
  return typeof value === 'string'
    ? value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    : value;
}

function render(template: string, fields: Record<string, unknown>): string {
  let fn = compiled.get(template);
  if (fn === undefined) {
    fn = env.compile(template, { noEscape: true, strict: false });
    compiled.set(template, fn);
  }
  const context = Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, escapeValue(value)]),
  );
  return fn(context);
}

/** The message for a row, or a string saying why the row cannot become a message. */
export function buildMessage(
  template: string | undefined,
  fields: Record<string, unknown>,
): SlackMessage | string {
  let text: string;
  if (template !== undefined) {
    try {
      text = render(template, fields);
    } catch (error) {
      return `the template failed for this row: ${(error as Error).message.split('\n')[0]}`;
    }
  } else if (typeof fields.text === 'string') {
    text = fields.text;
  } else {
    return 'no message: set a template on the connection or map a text field';
  }
  if (text.trim() === '') return 'the message text is empty for this row';
  const blocks = fields.blocks;
  if (blocks === undefined || blocks === null) return { text };
  if (!Array.isArray(blocks)) return 'blocks must be a JSON array of Block Kit blocks';
  return { text, blocks };
}
