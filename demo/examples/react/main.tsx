// React 19 passes props to custom elements as properties when the element has one
// (`getHeaders`), as attributes otherwise (`api-url`), and `on<event-name>` as listeners.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'mixpeek-uploader/define'; // registers <mixpeek-uploader>
// Types from this repository's source; in your app: 'mixpeek-uploader/jsx' and 'mixpeek-uploader'.
import type {} from '../../../src/jsx.ts'; // types <mixpeek-uploader> in TSX
import type { CompleteDetail } from '../../../src/events.ts';

// For the smoke test (test/examples/examples.test.ts): a bucket from ?bucket=, and what happened.
const bucket = new URLSearchParams(location.search).get('bucket') ?? 'demo';
const example = { getHeadersCalls: 0, completes: [] as CompleteDetail[] };
Object.assign(window, { __example: example });

// Extra headers on every request to your gateway (a session token, say). Defined once, outside
// the component, so each render passes the same function.
async function getHeaders() {
  example.getHeadersCalls += 1;
  return { 'X-Example': 'react' };
}

function App() {
  const [confirmed, setConfirmed] = useState(0);
  return (
    <>
      <mixpeek-uploader
        api-url="/mixpeek"
        bucket={bucket}
        getHeaders={getHeaders}
        onmixpeek-complete={(event) => {
          example.completes.push(event.detail);
          setConfirmed(event.detail.confirmed);
        }}
      />
      <p id="status">{confirmed} confirmed</p>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
