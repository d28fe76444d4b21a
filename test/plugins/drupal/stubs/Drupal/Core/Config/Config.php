<?php

declare(strict_types=1);

namespace Drupal\Core\Config;

/**
 * One configuration object, kept in memory; save() stores it in its factory.
 */
class Config {

  public function __construct(private string $name, private array $data, private ?\Closure $store = NULL) {}

  public function getName() {
    return $this->name;
  }

  public function get($key = '') {
    return $key === '' ? $this->data : ($this->data[$key] ?? NULL);
  }

  public function set($key, $value) {
    $this->data[$key] = $value;
    return $this;
  }

  public function save($has_trusted_data = FALSE) {
    if ($this->store === NULL) {
      throw new \LogicException("{$this->name} is read-only here: use getEditable().");
    }
    ($this->store)($this->name, $this->data);
    return $this;
  }

}
