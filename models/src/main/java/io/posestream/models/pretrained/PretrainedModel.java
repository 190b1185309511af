package io.posestream.models.pretrained;

import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.tfjs.TfjsConverter;
import java.util.List;

/** A model of the npm package that {@code model prepare} converts: where it is in the package, where it goes. */
public interface PretrainedModel extends TfjsConverter.Wrapper {
    /** Directory name under the models dir, e.g. {@code movenet-thunder}. */
    String dirName();

    /** The model.json's path inside the npm package, e.g. {@code models/movenet-thunder.json}. */
    String packagePath();

    /** The metadata asset for the converted model. */
    ModelMetadata metadata(String source);

    /** The models {@code model prepare} converts, in order. */
    static List<PretrainedModel> all() {
        return List.of(MoveNet.THUNDER, MoveNet.LIGHTNING, new CenterNet());
    }
}
