/** Discord's hard limits: a payload over any of them is rejected with a 400, so every text passes through here. */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of every title, description, field, footer and author text of one message's embeds. */
  embedsTotal: 6000,
  embeds: 10,
  fields: 25,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  customId: 100,
  threadName: 100,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
  /** Upload limit of a bot's message in a server without boosts (10 MiB). */
  attachmentBytes: 10 * 1024 * 1024,
} as const;

export { ELLIPSIS, truncate, truncateEscaped } from '../../text/truncate.js';
