// A few inline SVG icons (no emoji font needed).
const PATHS = {
  cart: 'M7 18a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm10 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM6.2 6l.9 2H20l-3.4 7H8.4L4.3 3H1V1h4.6l.6 1.3V2h.1L6.2 6z',
  store: 'M3 3h18l1 6a3 3 0 0 1-5 2.2A3 3 0 0 1 12 11a3 3 0 0 1-5 .2A3 3 0 0 1 2 9l1-6zm1 10.5V21h16v-7.5a4.9 4.9 0 0 1-3-.6 4.9 4.9 0 0 1-5 .1 4.9 4.9 0 0 1-5-.1 4.9 4.9 0 0 1-3 .6zM9 15h6v6H9z',
  bulb: 'M12 2a7 7 0 0 0-4 12.7V17a1 1 0 0 0 1 1h6a1 1 0 0 0 1-1v-2.3A7 7 0 0 0 12 2zM9 20h6v1a1 1 0 0 1-1 1h-4a1 1 0 0 1-1-1v-1z',
  box: 'M12 2 3 6.5v11L12 22l9-4.5v-11L12 2zm0 2.2 6.6 3.3L12 10.8 5.4 7.5 12 4.2zM5 9.1l6 3v7.6l-6-3V9.1zm8 10.6v-7.6l6-3v7.6l-6 3z',
} as const;

export function Icon({ name, size = 16, className }: { name: keyof typeof PATHS; size?: number; className?: string }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} className={`icon ${className ?? ''}`} aria-hidden="true">
      <path fill="currentColor" d={PATHS[name]} />
    </svg>
  );
}
