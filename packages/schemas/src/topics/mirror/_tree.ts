import { Type } from "@sinclair/typebox";
import { TreePath } from "../_fields.js";

/** The part of a mirrored tree that changed: what a downstream mirror may limit its sync to. */
export const ChangedTree = Type.Object({
  tree: Type.String({ minLength: 1, maxLength: 255, description: "the mirrored tree, e.g. fedora" }),
  paths: Type.Array(TreePath, {
    description: "paths under the tree's root that changed; empty when unknown (sync everything)",
  }),
});
