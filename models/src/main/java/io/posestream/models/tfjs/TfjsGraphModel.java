package io.posestream.models.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.posestream.models.savedmodel.ModelException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * A TensorFlow.js graph model ({@code model.json} plus its weight shards) read as a TensorFlow {@link GraphDef}:
 * the {@code modelTopology} is a GraphDef in proto3 JSON, and every weight of the {@code weightsManifest} becomes
 * the value of the Const node of the same name, dequantised to its original dtype.
 *
 * @param file  the model.json it was read from
 * @param graph the graph with all Const values filled in, as the converter left it (fused ops not yet rewritten)
 */
public record TfjsGraphModel(Path file, GraphDef graph) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code modelJson} and the shards it names (relative to it).
     *
     * @throws ModelException naming the file and what is wrong: not a graph model, bad topology, missing or short
     *                        shard, a weight without a Const node, an unsupported dtype
     */
    public static TfjsGraphModel read(Path modelJson) {
        JsonNode root;
        try {
            root = JSON.readTree(modelJson.toFile());
        } catch (IOException e) {
            throw new ModelException("TFJS model " + modelJson + " is not readable JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.has("modelTopology") || !root.has("weightsManifest")) {
            throw new ModelException(
                    "TFJS model " + modelJson + " is not a graph model: it needs modelTopology and weightsManifest");
        }
        if (root.has("format") && !"graph-model".equals(root.get("format").asText())) {
            throw new ModelException("TFJS model " + modelJson + " has format "
                    + root.get("format").asText()
                    + ", only graph-model is supported (a layers-model has no GraphDef topology)");
        }
        GraphDef.Builder graph = GraphDef.newBuilder();
        try {
            JsonFormat.parser()
                    .ignoringUnknownFields()
                    .merge(root.get("modelTopology").toString(), graph);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(
                    "TFJS model " + modelJson + ": modelTopology is not a TensorFlow GraphDef: " + e.getMessage(), e);
        }
        fillWeights(modelJson, root.get("weightsManifest"), graph);
        return new TfjsGraphModel(modelJson, graph.build());
    }

    private static void fillWeights(Path modelJson, JsonNode manifest, GraphDef.Builder graph) {
        Map<String, Integer> nodeIndex = new HashMap<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            nodeIndex.put(graph.getNode(i).getName(), i);
        }
        for (JsonNode group : manifest) {
            byte[] buffer = readShards(modelJson, group.get("paths"));
            int offset = 0;
            for (JsonNode spec : group.get("weights")) {
                ManifestWeight weight = ManifestWeight.of(spec);
                Integer index = nodeIndex.get(weight.name());
                if (index == null) {
                    throw new ModelException("TFJS model " + modelJson + ": weight " + weight.name()
                            + " has no Const node of that name in the topology");
                }
                int size = weight.storedBytes();
                if (offset + size > buffer.length) {
                    throw new ModelException("TFJS model " + modelJson + ": weight shards " + group.get("paths")
                            + " hold " + buffer.length + " bytes, weight " + weight.name() + " needs bytes "
                            + offset + ".." + (offset + size));
                }
                TensorProto value = WeightDecoder.decode(weight, buffer, offset);
                NodeDef.Builder node = graph.getNodeBuilder(index);
                node.putAttr("value", AttrValue.newBuilder().setTensor(value).build());
                node.putAttr(
                        "dtype",
                        AttrValue.newBuilder().setType(value.getDtype()).build());
                offset += size;
            }
            if (offset != buffer.length) {
                throw new ModelException("TFJS model " + modelJson + ": weight shards " + group.get("paths") + " hold "
                        + buffer.length + " bytes but the manifest describes " + offset);
            }
        }
    }

    private static byte[] readShards(Path modelJson, JsonNode paths) {
        List<Path> files = new ArrayList<>();
        paths.forEach(p -> files.add(modelJson.resolveSibling(p.asText())));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path file : files) {
            try {
                all.write(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new ModelException(
                        "TFJS model " + modelJson + ": weight shard " + file + " cannot be read: " + e, e);
            }
        }
        return all.toByteArray();
    }
}
