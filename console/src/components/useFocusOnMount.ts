import { useEffect, useRef } from 'preact/hooks';

/** A ref whose element takes the focus when it appears (an inline editor, a result to read first). */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
