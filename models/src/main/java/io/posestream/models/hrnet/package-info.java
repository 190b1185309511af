/**
 * HRNet (Sun et al., CVPR 2019) built in TensorFlow Java stage by stage, with the names and shapes of the official
 * state_dict so an official checkpoint maps one to one. Layer 1 (stages), module models.
 */
package io.posestream.models.hrnet;
