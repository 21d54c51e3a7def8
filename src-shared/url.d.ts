/**
 * The WHATWG `URL`, which every runtime this contract runs in has (browsers, Node, Electron).
 * Declared here alone, with only what src-shared reads, because this project takes neither the DOM
 * nor Node's types (so `process`, `Buffer` and `window` still fail the typecheck here).
 */
declare class URL {
  constructor(url: string, base?: string);
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  toString(): string;
}
