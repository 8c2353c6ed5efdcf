// Prompts and music played into a call leg.
export { isPlayerError, playPrompts, PlayerError, type PlayOptions } from './prompt-player.ts';
