package io.asyncio4j.http.server;

import io.asyncio4j.http.Params;
import java.util.List;
import java.util.Optional;

/**
 * The fields of a submitted form: {@code application/x-www-form-urlencoded} or
 * {@code multipart/form-data} (aiohttp's {@code await request.post()}). Text fields are in
 * {@link #fields()}; file parts in {@link #files()}.
 *
 * @param fields the text fields, in order
 * @param files the file parts, in order
 */
public record FormData(Params fields, List<FileField> files) {
    /** Copies the file list. */
    public FormData {
        files = List.copyOf(files);
    }

    /**
     * {@return the first value of a text field}
     * @param name the field's name
     */
    public Optional<String> get(String name) {
        return fields.get(name);
    }

    /**
     * {@return every value of a text field}
     * @param name the field's name
     */
    public List<String> getAll(String name) {
        return fields.getAll(name);
    }

    /**
     * {@return the first file of a field}
     * @param name the field's name
     */
    public Optional<FileField> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
