/// One field of a message as found in the input: where its name (for named fields) and value lie.
///
/// A message is indexed once into a run of these (see ``FieldIndexStack``); lookups scan the
/// run from the end so the last occurrence of a field wins.
struct FieldEntry: Sendable {
  /// The field number, or 0 for a named field.
  var number: Int
  var wireType: WireType
  /// The name's UTF-8 bytes for a named field; empty for numbered fields.
  var name: Range<Int>
  /// The value's bytes: the varint or fixed bytes themselves, or the payload after the length
  /// prefix for length-delimited values.
  var value: Range<Int>
}
