package io.posestream.inference.model;

/** A person box in source-frame pixels (x1,y1 top left; x2,y2 bottom right) with the detector's score. */
public record Detection(float x1, float y1, float x2, float y2, float score) {}
