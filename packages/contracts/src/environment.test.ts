import { describe, expect, it } from 'vitest';
import { EnvironmentError, parseEnvironment, sharedEnvironmentSchema } from './environment.ts';

describe('LLMQ_SECRET_KEY', () => {
  it('takes 64 hex digits or base64 of 32 bytes', () => {
    const hex = 'ab'.repeat(32);
    const base64 = Buffer.alloc(32, 9).toString('base64');
    expect(
      parseEnvironment(sharedEnvironmentSchema, { LLMQ_SECRET_KEY: hex }).LLMQ_SECRET_KEY,
    ).toBe(hex);
    expect(
      parseEnvironment(sharedEnvironmentSchema, { LLMQ_SECRET_KEY: base64 }).LLMQ_SECRET_KEY,
    ).toBe(base64);
  });

  it('refuses anything else, saying how to make one, without echoing the value', () => {
    const attempt = () =>
      parseEnvironment(sharedEnvironmentSchema, { LLMQ_SECRET_KEY: 'hunter2-my-password' });
    expect(attempt).toThrow(EnvironmentError);
    expect(attempt).toThrow(/LLMQ_SECRET_KEY: must be 32 random bytes .*openssl rand -hex 32/);
    expect(attempt).not.toThrow(/hunter2/);
  });
});

describe('LLMQ_MCP_SERVERS', () => {
  const parse = (value: string | undefined) =>
    parseEnvironment(sharedEnvironmentSchema, { LLMQ_MCP_SERVERS: value }).LLMQ_MCP_SERVERS;

  it('is none when unset, else each server by name with its URL and headers', () => {
    expect(parse(undefined)).toEqual({});
    expect(
      parse('{"files":{"url":"http://127.0.0.1:8931/mcp","headers":{"authorization":"Bearer t"}}}'),
    ).toEqual({
      files: { url: 'http://127.0.0.1:8931/mcp', headers: { authorization: 'Bearer t' } },
    });
  });

  it('names what is wrong, without echoing the value (its headers may hold a token)', () => {
    expect(() => parse('{"files":')).toThrow(/LLMQ_MCP_SERVERS: must be JSON, like \{"github"/);
    expect(() => parse('{"files":')).not.toThrow(/got/);
    expect(() => parse('{"files":{"url":"ftp://host/mcp"}}')).toThrow(
      /LLMQ_MCP_SERVERS\.files\.url: must be the http\(s\) URL/,
    );
    expect(() => parse('{"my files":{"url":"http://host/mcp"}}')).toThrow(
      /LLMQ_MCP_SERVERS\.my files: an MCP server’s name/,
    );
    expect(() => parse('{"files":{"url":"http://host/mcp","token":"t"}}')).toThrow(
      /Unrecognized key: "token"/,
    );
  });
});
