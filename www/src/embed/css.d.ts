// Stylesheets imported as text (`import css from "x.css" with { type: "text" }`, esbuild) for
// the embed's shadow root.
declare module "*.css" {
  const text: string;
  export default text;
}
