/** ws hands a frame over as one Buffer, an ArrayBuffer, or its fragments, depending on binaryType and fragmentation. */
export function frameBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
