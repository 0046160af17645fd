// Plain HTML: set properties and listen to events on the element, no framework.
const uploader = document.querySelector('mixpeek-uploader');
const status = document.querySelector('#status');

// For the smoke test (test/examples/examples.test.ts): a bucket from ?bucket=, and what happened.
const example = { getHeadersCalls: 0, completes: [] };
window.__example = example;
uploader.bucket = new URLSearchParams(location.search).get('bucket') ?? uploader.bucket;

// Extra headers on every request to your gateway (a session token, say).
uploader.getHeaders = async () => {
  example.getHeadersCalls += 1;
  return { 'X-Example': 'html' };
};

uploader.addEventListener('mixpeek-complete', (event) => {
  example.completes.push(event.detail);
  status.textContent = `${event.detail.confirmed} confirmed`;
});
