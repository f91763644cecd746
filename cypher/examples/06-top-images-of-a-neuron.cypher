// The images that activate neuron 412 of layer4 most strongly.
CALL hmn.neuron.topImages('layer4', 412, 5) YIELD image, activation
RETURN image, activation ORDER BY activation DESC, image;
