// How an AWS operation's input and output look on the wire, as far as the query protocol needs:
// wire names (locationName/xmlName), flattened lists and maps. JSON needs none of it.

export type Shape =
  | { kind: 'string' } | { kind: 'integer' } | { kind: 'boolean' } | { kind: 'blob' }
  | { kind: 'list'; member: Shape; flat: boolean; memberName: string }
  | { kind: 'map'; value: Shape; flat: boolean; keyName: string; valueName: string }
  | StructShape;

export type StructShape = { kind: 'struct'; members: Record<string, Member> };

/** A struct member; `wire` is its name in query params and XML when it differs from the JSON name. */
export type Member = { shape: Shape; wire?: string };

export const str: Shape = { kind: 'string' };
export const int: Shape = { kind: 'integer' };
export const bool: Shape = { kind: 'boolean' };
/** Base64 text in both protocols; kept as base64 inside Gannet. */
export const blob: Shape = { kind: 'blob' };

export function struct(members: Record<string, Shape | Member>): StructShape {
  const out: Record<string, Member> = {};
  for (const [name, m] of Object.entries(members)) out[name] = 'shape' in m ? m : { shape: m };
  return { kind: 'struct', members: out };
}

/** `wire` renames a member (query `Attribute.1.Name` for JSON `Attributes`). */
export function named(wire: string, shape: Shape): Member {
  return { shape, wire };
}

/** A flattened list repeats its items under the member's own name (`AttributeName.1`, `<QueueUrl>`). */
export function flatList(member: Shape): Shape {
  return { kind: 'list', member, flat: true, memberName: 'member' };
}

/** A wrapped list nests items under `member` (`Topics.member.1`, `<Topics><member>`). */
export function list(member: Shape, memberName = 'member'): Shape {
  return { kind: 'list', member, flat: false, memberName };
}

export function flatMap(value: Shape, keyName = 'Name', valueName = 'Value'): Shape {
  return { kind: 'map', value, flat: true, keyName, valueName };
}

/** A wrapped map nests entries under `entry` (`Attributes.entry.1.key`). */
export function map(value: Shape, keyName = 'key', valueName = 'value'): Shape {
  return { kind: 'map', value, flat: false, keyName, valueName };
}

export type OperationShapes = { input: StructShape; output?: StructShape };
