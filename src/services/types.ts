/** Whatever asks "what time is it" takes this, so tests pass absolute instants. */
export type Clock = () => Date;
