// Lets TypeScript import single-file components (Vite's Vue template ships the same shim).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
