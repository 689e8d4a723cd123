import { Link } from '../../router/link';
import { hrefWithParams, useLocation } from '../../router/location';
import { PRESET_DAYS, type View } from '../../filters/view';

/** The 7/30/90-day presets as links (the range lives in the URL, as on every page). */
export function RangeLinks({ view }: { view: View }) {
  const loc = useLocation();
  return (
    <nav className="segmented" aria-label="Range">
      {PRESET_DAYS.map((days) => (
        <Link
          key={days}
          className="seg"
          href={hrefWithParams(loc, { days: String(days), from: null, to: null })}
          aria-current={view.range.preset === days ? 'true' : undefined}
        >
          Last {days} days
        </Link>
      ))}
    </nav>
  );
}
