package io.tessera.speed.source;

import io.tessera.featurestore.aggregate.BinaryReader;
import io.tessera.featurestore.aggregate.BinaryWriter;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.PipelineSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A decoded event as bytes typed by the spec, so that it crosses the shuffle to its key's task already
 * decoded: parsing its text and evaluating its conditions again there cost more than this (docs/stack.md,
 * "Flink"). Layout: event time, then per spec field in spec order a presence byte and, if present, the
 * value (string: varint length + UTF-8; int and long: 8 bytes; double: 8 bytes; boolean: 1 byte). Only
 * records in flight use it (aligned checkpoints hold none), so it needs no version. Not thread-safe; one
 * per task.
 */
public final class EventCodec {

    private final String[] names;
    private final FieldType[] types;
    private final BinaryWriter scratch = new BinaryWriter(256);

    public EventCodec(PipelineSpec spec) {
        Map<String, FieldType> fields = spec.source().fields();
        this.names = fields.keySet().toArray(String[]::new);
        this.types = fields.values().toArray(FieldType[]::new);
    }

    public byte[] encode(Event event) {
        scratch.clear();
        scratch.writeLong(event.time());
        for (int i = 0; i < names.length; i++) {
            Object value = event.get(names[i]);
            if (value == null) {
                scratch.writeByte(0);
                continue;
            }
            scratch.writeByte(1);
            switch (types[i]) {
                case STRING -> {
                    byte[] text = ((String) value).getBytes(StandardCharsets.UTF_8);
                    scratch.writeVarLong(text.length);
                    scratch.writeBytes(text);
                }
                case INT, LONG -> scratch.writeLong((Long) value);
                case DOUBLE -> scratch.writeDouble((Double) value);
                case BOOLEAN -> scratch.writeByte((Boolean) value ? 1 : 0);
            }
        }
        return scratch.toByteArray();
    }

    public Event decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long time = in.getLong();
        Map<String, Object> fields = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            if (in.get() == 0) {
                continue;
            }
            Object value = switch (types[i]) {
                case STRING -> {
                    byte[] text = new byte[(int) BinaryReader.varLong(in)];
                    in.get(text);
                    yield new String(text, StandardCharsets.UTF_8);
                }
                case INT, LONG -> in.getLong();
                case DOUBLE -> in.getDouble();
                case BOOLEAN -> in.get() != 0;
            };
            fields.put(names[i], value);
        }
        return new Event(time, fields);
    }
}
