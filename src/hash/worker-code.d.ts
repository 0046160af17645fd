/** `worker-code:./x.worker.ts`: the worker bundled into one ES module, as a string (worker-code-plugin.ts). */
declare module 'worker-code:*' {
  const code: string;
  export default code;
}
