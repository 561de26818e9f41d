//! WebAssembly bindings: JS objects in, JS objects out, errors as `Error` with `.code`.
