<?php

declare(strict_types=1);

namespace Drupal\Core\Form;

/**
 * What was submitted, and the errors set on it (the first error of an element wins, as in Drupal).
 */
class FormState implements FormStateInterface {

  private array $errors = [];

  public function __construct(private array $values = []) {}

  public function getValue($key, $default = NULL) {
    return $this->values[$key] ?? $default;
  }

  public function setValue($key, $value) {
    $this->values[$key] = $value;
    return $this;
  }

  public function setErrorByName($name, $message = '') {
    $this->errors[$name] ??= $message;
    return $this;
  }

  public function getErrors() {
    return $this->errors;
  }

}
