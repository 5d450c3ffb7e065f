"""The Qt-free core: records, storage, operations, anchoring, merge, formats, agreement."""
