import type { ReactNode } from 'react';

export interface Bar {
  key: string;
  label: ReactNode;
  value: number;
  color: string;
}

/** A plain horizontal bar chart made of divs: label, bar scaled to the largest value, count. */
export default function BarList({ items }: { items: Bar[] }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <div className="bar-list">
      {items.map((i) => (
        <div className="bar-row" key={i.key} data-testid={`bar-${i.key}`}>
          <div className="bar-label">{i.label}</div>
          <div className="bar-track">
            <div className="bar-fill" style={{ width: `${(i.value / max) * 100}%`, background: i.color }} />
          </div>
          <div className="bar-value">{i.value}</div>
        </div>
      ))}
    </div>
  );
}
