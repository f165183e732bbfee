/** Virtual Key → Create's "Deliver the New Key" value that returns the plaintext instead of storing it. */
export const SHOW_ONCE_DELIVERY = 'showOnce';
