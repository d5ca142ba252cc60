export declare const ROOT: string;
export declare function newest(path: string): number;
export declare function bundleForNode(o: {
  entry: string;
  cache: string;
  file: string;
  sources: string[];
}): Promise<string>;
