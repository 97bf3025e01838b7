import type { CSSProperties } from 'react';

/**
 * Off screen but read by assistive technology. Inline rather than in styles.css: the stylesheet is
 * optional, and without it the live region's announcements would show as stray paragraphs.
 */
export const visuallyHiddenStyle: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
  border: 0,
};
