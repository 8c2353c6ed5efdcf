// For tools that read .ts without Vue's language service (typescript-eslint): a .vue
// module is a component. vue-tsc resolves the real files and ignores this fallback.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
