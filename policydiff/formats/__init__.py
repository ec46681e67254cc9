"""The JSON formats policydiff writes, each with its JSON Schema (in ``policydiff/data/``), its
writer and its strict loader side by side: ``alignment`` (alignment@2), ``phrases``
(phrases@1), ``diff`` (diff@1). ``jsontext`` holds what they share."""
