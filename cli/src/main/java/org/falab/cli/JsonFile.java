package org.falab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.json.ContractJson;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** A JSON object the user gives in a file ({@code run submit --spec}, {@code sweep submit}); else bad usage. */
final class JsonFile {

    private JsonFile() {
    }

    /** @param what the option or parameter that named the file, for the message */
    static ObjectNode object(CommandSpec command, Path file, String what) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ParameterException(command.commandLine(), what + " " + file + ": no such file");
        } catch (IOException e) {
            throw new ParameterException(command.commandLine(), what + " " + file + ": cannot read it: " + e);
        }
        JsonNode json;
        try {
            json = ContractJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new ParameterException(command.commandLine(), what + " " + file + ": not JSON: "
                    + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new ParameterException(command.commandLine(), what + " " + file + ": must hold one JSON object");
        }
        return (ObjectNode) json;
    }
}
