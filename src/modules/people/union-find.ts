/**
 * Disjoint sets over string keys with path halving and union by size: the identity graph
 * groups identifiers into persons with it, in bulk imports and when a link is undone.
 */
export class UnionFind {
  private parent = new Map<string, string>();
  private size = new Map<string, number>();

  add(key: string): void {
    if (!this.parent.has(key)) {
      this.parent.set(key, key);
      this.size.set(key, 1);
    }
  }

  find(key: string): string {
    this.add(key);
    let node = key;
    while (this.parent.get(node) !== node) {
      const grandparent = this.parent.get(this.parent.get(node)!)!;
      this.parent.set(node, grandparent);
      node = grandparent;
    }
    return node;
  }

  /** Joins the sets of a and b; answers false when they were already one. */
  union(a: string, b: string): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size.get(ra)! < this.size.get(rb)!) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, this.size.get(ra)! + this.size.get(rb)!);
    return true;
  }

  /** The sets, each as its member keys. */
  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const key of this.parent.keys()) {
      const root = this.find(key);
      byRoot.set(root, [...(byRoot.get(root) ?? []), key]);
    }
    return [...byRoot.values()];
  }
}
