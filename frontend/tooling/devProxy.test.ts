import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { BACKEND_PATHS, backendAddress, DEFAULT_BACKEND, devProxy } from "./devProxy";

function request(method: string, url: string, accept: string): IncomingMessage {
  return { method, url, headers: { accept } } as IncomingMessage;
}

describe("the dev server's proxy", () => {
  it("sends every backend path to the address in CUSTOMER_GRAPH_BACKEND", () => {
    expect(backendAddress({})).toBe(DEFAULT_BACKEND);
    expect(backendAddress({ CUSTOMER_GRAPH_BACKEND: " http://10.0.0.5:9000/ " })).toBe(
      "http://10.0.0.5:9000",
    );
    const table = devProxy("http://backend:9000");
    expect(Object.keys(table)).toEqual([...BACKEND_PATHS]);
    for (const options of Object.values(table)) {
      expect(options.target).toBe("http://backend:9000");
      expect(options.changeOrigin).toBeUndefined();
    }
    expect(table["/graphql"]?.ws).toBe(true);
  });

  it("keeps the app's own pages, and serves GraphiQL's from source", () => {
    expect(BACKEND_PATHS.filter((path) => "/import".startsWith(path))).toEqual([]);
    const bypass = devProxy(DEFAULT_BACKEND)["/graphql"]?.bypass;
    expect(bypass).toBeDefined();
    const call = (method: string, url: string, accept: string) =>
      bypass?.(request(method, url, accept), undefined, {});
    expect(call("GET", "/graphql", "text/html,application/xhtml+xml")).toBe("/graphiql.html");
    expect(call("POST", "/graphql", "application/json")).toBeUndefined();
    expect(call("GET", "/graphql?extensions=%7B%7D", "text/html")).toBeUndefined();
  });
});
