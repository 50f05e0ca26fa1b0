// Vite's `?inline` CSS imports: the stylesheet's text, for a shadow root's adoptedStyleSheets.
declare module '*.css?inline' {
  const text: string;
  export default text;
}
